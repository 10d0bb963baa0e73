import {parseTree, findNodeAtLocation, getLocation} from 'jsonc-parser'; console.log(parseTree, findNodeAtLocation, getLocation)
